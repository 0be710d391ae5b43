"""Demo documents for `manage.py demo`: the town's own route rule (回議 through the section chief and the 課長補佐)
and 文書分類表, then documents of 総務課's sections: one decided, one waiting at each level, one returned, one draft.
"""

from approvals import routing, services
from approvals.models import Document, DocumentCategory, RouteRule
from org.demo import Town

# 文書分類表 of the demo town: (分類, 保存年限; None = 永年)
CATEGORIES = [("庶務", 5), ("予算・会計", 5), ("契約", 10), ("人事", 30), ("例規", None), ("照会・回答", 1)]


def _town_rules() -> None:
    """The town publishes its own general route rule once (while the seeded one is active) and its categories."""
    for name, years in CATEGORIES:
        DocumentCategory.objects.get_or_create(
            name=name, defaults={"retention_years": years, "retention_permanent": years is None}
        )
    active = RouteRule.objects.filter(kind="general", active=True).first()
    if active is None or active.note.startswith("初期設定"):
        services.route_rule_publish(
            kind="general",
            steps=routing.TOWN_GENERAL_TEMPLATE,
            actor=None,
            note="南富良野町事務決裁規程(係長・課長補佐・課長の回議)",
        )


def load(town: Town) -> None:
    """Idempotent: does nothing once the demo documents exist."""
    if Document.objects.filter(payload__demo=True).exists():
        return
    _town_rules()
    # a member of デジタル推進係 (secretariat): their documents go to that section's 係長, not the 総務係長
    digital = town.by_key("somu.staff.3")
    assistant, director = town.by_key("somu.assistant_director.1"), town.director("somu")

    def draft(drafter, title: str, amount: int | None, consult=()) -> Document:
        return services.document_create(
            kind="general",
            drafter=drafter,
            title=title,
            body=f"{title}について、別紙のとおり伺います。",
            category="庶務",
            amount=amount,
            consult_departments=consult,
            payload={"demo": True},
        )

    def chief_of(drafter):
        return drafter.section.chief

    decided = services.document_submit(document=draft(digital, "事務用品の購入", 48_000), actor=digital)
    for person in (chief_of(digital), assistant, director):
        decided = services.document_approve(document=decided, actor=person, comment="承認します")

    waiting = services.document_submit(
        document=draft(digital, "庁舎Wi-Fi機器の更新", 620_000, consult=[town.departments["kaikei"]]),
        actor=digital,
    )
    services.document_approve(document=waiting, actor=chief_of(digital))  # waits for the 課長補佐

    returned = services.document_submit(document=draft(digital, "研修会への参加", 30_000), actor=digital)
    services.document_return(document=returned, actor=chief_of(digital), comment="日程を追記してください")

    draft(digital, "広報誌の印刷", 1_200_000)
