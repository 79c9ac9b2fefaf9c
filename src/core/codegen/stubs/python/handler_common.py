# stub:drop What every framework's webhook_handler.py holds: your function and the hand-off after the answer.
from handler_imports import *  # noqa: F401,F403  stub:drop
from webhook_types import HoleRoot
from webhook_verify import ReceivedNotification, SeenIds, WebhookConfig, WebhookOutcome, load_config, process_webhook

logger = logging.getLogger("webhook")

WEBHOOK_PATH = "HOLE_PATH"
MAX_BODY_BYTES = 5 * 1024 * 1024
CAPTURED_FORMAT = "HOLE_FORMAT"


def hole_user_function(notification: HoleRoot, received: ReceivedNotification) -> None:
    """YOUR CODE GOES HERE.

    Called once per new notification, after the 200 has been sent, so slow work here does not make the sender
    time out and retry. Raising only logs: the delivery has already been acknowledged.
    """
    # TODO: act on the notification (look up the object, enqueue a job, update your database...).


def on_unrecognized_payload(received: ReceivedNotification, problem: str) -> None:
    """A payload of another shape than the captured one (another template, body format or event type)."""
    logger.warning("%s: not a HoleRoot (%s)", received.dedupe_key, problem)


# stub:include shape


def dispatch_notification(received: ReceivedNotification) -> None:
    """Checks the payload has the captured shape, then calls your function; errors are logged."""
    try:
        problem = shape_problem(received)
        if problem is not None:
            on_unrecognized_payload(received, problem)
            return
        hole_user_function(cast(HoleRoot, received.data), received)
    except Exception:
        logger.exception("%s failed in hole_user_function", received.dedupe_key)


_executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="webhook")


def hand_off(outcome: WebhookOutcome) -> None:
    """Queues accepted notifications for your code; the answer does not wait for them."""
    for received in outcome.accepted:
        _executor.submit(dispatch_notification, received)


def lower_headers(items: Any) -> Dict[str, str]:
    return {str(name).lower(): str(value) for name, value in items}


@dataclass
class RunningServer:
    port: int
    stop: Callable[[], None]
