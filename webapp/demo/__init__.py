"""Demo data and a case driver: the same code seeds the demo, drives the tests and the benchmarks."""
from .driver import CaseDriver
from .seed import DEMO_PASSWORD, build_world, seed_demo

__all__ = ["DEMO_PASSWORD", "CaseDriver", "build_world", "seed_demo"]
