# stub:drop The standard-library imports every webhook_handler.py starts with; its framework's imports follow.
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, Dict, Optional, cast

