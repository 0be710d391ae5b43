"""Demo documents for `manage.py demo`: one decided, one waiting at each level, one returned, one draft."""

from approvals import services
from approvals.models import Document
from org.demo import Town


def load(town: Town) -> None:
    """Idempotent: does nothing once the demo documents exist."""
    if Document.objects.filter(payload__demo=True).exists():
        return
    somu = town.members("somu")
    drafter, chief, director = somu[-1], town.chief("somu"), town.director("somu")

    def draft(title: str, amount: int | None, consult=()) -> Document:
        return services.document_create(
            kind="general",
            drafter=drafter,
            title=title,
            body=f"{title}について、別紙のとおり伺います。",
            category="庶務",
            amount=amount,
            retention_years=5,
            consult_departments=consult,
            payload={"demo": True},
        )

    decided = services.document_submit(document=draft("事務用品の購入", 48_000), actor=drafter)
    for person in (chief, director):
        decided = services.document_approve(document=decided, actor=person, comment="承認します")

    waiting = services.document_submit(
        document=draft("庁舎Wi-Fi機器の更新", 620_000, consult=[town.departments["kaikei"]]), actor=drafter
    )
    services.document_approve(document=waiting, actor=chief)

    returned = services.document_submit(document=draft("研修会への参加", 30_000), actor=drafter)
    services.document_return(document=returned, actor=chief, comment="日程を追記してください")

    draft("広報誌の印刷", 1_200_000)
