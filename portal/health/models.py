from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import Model
from portal.timeutil import utcnow


class WorkerHeartbeat(Model):
    """One worker process, by host and process id: `portal worker` updates its row every pass."""

    __tablename__ = "worker_heartbeat"

    #: "host:pid"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: the start of its latest pass
    beat_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
