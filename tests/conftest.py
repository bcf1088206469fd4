"""Shared test settings: hypothesis keeps no example database, so a test run leaves the tree
clean."""

import os

import matplotlib
from hypothesis import HealthCheck, settings

matplotlib.use("Agg")
settings.register_profile(
    "course",
    database=None,
    deadline=None,
    max_examples=int(os.environ.get("COURSE_HYPOTHESIS_EXAMPLES", "60")),
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("course")
