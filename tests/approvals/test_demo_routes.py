"""The demo town routes through its sections (issue 11, done when): a デジタル推進係 member's documents go to that
section's 係長 and on through the 課長補佐, never to the 総務係長."""

import pytest

from approvals import demo
from approvals.models import Document, StepApprover, StepKind
from org.demo import build_town


@pytest.mark.django_db
def test_the_demo_documents_go_through_the_drafters_section_and_the_assistant_director():
    town = build_town()
    demo.load(town)
    drafter = town.by_key("somu.staff.3")
    section_chief = drafter.section.chief
    assert drafter.section.code == "digital"
    assert section_chief != town.chief("somu")  # the first 係長 of 総務課 heads 総務係

    decided = Document.objects.get(title="事務用品の購入")
    reviews = list(
        StepApprover.objects.filter(step__document=decided, step__kind=StepKind.REVIEW)
        .exclude(decision="not_needed")
        .order_by("step__order")
        .values_list("approver", "post_position")
    )
    assert reviews == [
        (section_chief.pk, "chief"),
        (town.by_key("somu.assistant_director.1").pk, "assistant_director"),
    ]
    assert decided.number == "南富総第1号"
    waiting = Document.objects.get(title="庁舎Wi-Fi機器の更新")
    assert waiting.steps.get(status="waiting").approvers.get().approver == town.by_key(
        "somu.assistant_director.1"
    )
