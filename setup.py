"""beam-pii: verify PII detections in Apache Beam with small local LLMs."""
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent


def requirements(name: str) -> list[str]:
    lines = (HERE / name).read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


setup(
    name="beam-pii",
    version="0.1.0",
    description="Apache Beam stage that verifies PII detections with small local LLMs",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    python_requires=">=3.10",
    packages=find_packages(include=["beam_pii", "beam_pii.*", "beam_pii_tools", "beam_pii_tools.*",
                                    "pipelines", "pipelines.*"]),
    package_data={"beam_pii": ["data/*.json", "data/*.yaml", "data/wordlists/*.json", "data/adapter/*"],
                  "beam_pii_tools": ["datagen/*.yaml", "training/*.yaml"]},
    install_requires=["torch>=2.4"] + requirements("requirements.txt"),
    extras_require={
        "dev": requirements("requirements-dev.txt"),
        "vllm": ["vllm"],
    },
    entry_points={"console_scripts": [
        "beam-pii=beam_pii_tools.cli:main",
        "beam-pii-verify=pipelines.verify_pii:main",
    ]},
)
