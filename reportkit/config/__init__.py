"""Client params: the pydantic model of a params file, how it is read, and its error text."""

from reportkit.config.client import *  # noqa: F401,F403  (temporary during the move)
from reportkit.config.client import (ClientConfig, from_notebook, load, load_yaml, project_root,  # noqa: F401
                                     read_params, resolve_path, validate)
