"""Settings of the approvals benchmark: the project's settings with the floor views' URLs added."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "approvals_floor"
