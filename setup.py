"""beam-pii: verify PII detections in Apache Beam with small local LLMs."""
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent


def requirements(name: str) -> list[str]:
    """The requirement lines of a file, without comments (pip's format, which setuptools lacks)."""
    lines = (HERE / name).read_text().splitlines()
    return [spec for spec in (line.split("#", 1)[0].strip() for line in lines) if spec]


setup(
    name="beam-pii",
    version="0.1.0",
    description="Apache Beam stage that verifies PII detections with small local LLMs",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    python_requires=">=3.10",
    packages=find_packages(include=["beam_pii", "beam_pii.*", "beam_pii_tools", "beam_pii_tools.*",
                                    "pipelines", "pipelines.*"]),
    # Every data file either package reads at run time (catalog, word lists, adapter; the users'
    # taxonomy, template families and value pools); tests/test_layout.py checks none is left out.
    package_data={
        "beam_pii": ["data/*.json", "data/*.yaml", "data/wordlists/*.json", "data/adapter/*"],
        "beam_pii_tools": ["**/*.yaml", "**/*.yml", "**/*.json", "**/*.tsv", "**/*.txt"],
    },
    install_requires=["torch>=2.4"] + requirements("requirements.txt"),
    extras_require={
        "tools": requirements("requirements-tools.txt"),
        "dev": requirements("requirements-dev.txt"),
        "vllm": ["vllm"],
        "presidio": requirements("requirements-presidio.txt"),
    },
    entry_points={"console_scripts": [
        "beam-pii=beam_pii_tools.cli:main",
        "beam-pii-verify=pipelines.verify_pii:main",
    ]},
)
