"""Value generators, one module per theme, each registered by name with the type it marks
(`registry.GENERATORS`). Importing this package registers them all."""
from beam_pii_tools.datagen.values import (  # noqa: F401  (registration on import)
    attributes, basic, company, contact, dates, finance, government, online, people, phones, vehicle,
)
from beam_pii_tools.datagen.values import digital_ids, digital_usage  # noqa: F401  (technical, usage, online and account data)
from beam_pii_tools.datagen.values import content_biometric, content_feedback, content_sensing, content_social  # noqa: F401,E501  (user content, social, audio-visual, biometric)
from beam_pii_tools.datagen.values import finance_comp, finance_pay, finance_payments, finance_purchase  # noqa: F401  (financial and purchase data)
from beam_pii_tools.datagen.values import personal_kin, personal_place, personal_health, personal_ids, personal_traits  # noqa: F401  (the users' personal, family, health and id types)
from beam_pii_tools.datagen.values import hr_career, hr_education, hr_monitoring, hr_pay, hr_screening  # noqa: F401  (background checks, careers, pay, monitoring, education)
from beam_pii_tools.datagen.values.registry import GENERATORS, Generator, Value

__all__ = ["GENERATORS", "Generator", "Value"]
