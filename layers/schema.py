"""Imports every module that declares tables, so ``Base.metadata`` is complete.

Alembic's environment and the tests import this one module instead of knowing every model file.
"""

from layers.accounts import tables as accounts_tables  # noqa: F401
from layers.audit import processing_log  # noqa: F401
from layers.core import closure, models  # noqa: F401
from layers.field import tables as field_tables  # noqa: F401
from layers.imports import presets  # noqa: F401
from layers.jobs import models as job_models  # noqa: F401
from layers.networks import models as network_models  # noqa: F401
from layers.planning import models as planning_models  # noqa: F401
from layers.public import models as public_models  # noqa: F401
