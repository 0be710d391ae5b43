"""Overtime orders and day swaps `/attendance/orders/`: the 事前申請 through the API's service (routed to the
director; every refusal next to its field with what was typed kept, nothing created), the director's 時間外勤務命令
for their staff (approved at once; staff of another department not offered and refused, nobody else may order),
the day swap and the window rule, my lists with their documents and cancel (someone else's is a 404 and stays),
the department's orders of the month for its director, the acting holder of a vacant 課長 post ordering that
department's staff while the designation lasts, a query count that does not grow with the rows, English."""

from datetime import date, time, timedelta

import pytest

from approvals.models import ActingAppointment, Document
from approvals.services import document_approve
from attendance import selectors_orders, services, worktime
from attendance.models import DaySwap, OrderStatus, OvertimeOrder
from org.services import employee_deactivate
from tests.portal.html import field_html, item_html, select_html
from tests.telework.town import MONDAY

pytestmark = pytest.mark.django_db

PAGE = "/attendance/orders/"
TUESDAY = MONDAY + timedelta(days=1)  # 2026-11-17
SATURDAY = MONDAY + timedelta(days=5)  # 2026-11-21, a 週休日
FRIDAY = MONDAY + timedelta(days=4)  # 2026-11-20, a working day


def applied(staff, *, day: date = TUESDAY, start=time(17, 30), end=time(18, 30), reason="議会資料"):
    return services.overtime_order_create(
        actor=staff, employee_id=None, day=day, start=start, end=end, reason=reason
    )


def ordered(town, staff, *, day: date = TUESDAY, start=time(19, 0), end=time(20, 0), reason="決算"):
    return services.overtime_order_create(
        actor=town.director, employee_id=staff.pk, day=day, start=start, end=end, reason=reason
    )


def application(**values) -> dict:
    data = {"date": "2026-11-17", "start": "17:30", "end": "19:00", "reason": "議会資料の作成"}
    data.update(values)
    return {f"apply-{name}": value for name, value in data.items() if value is not None}


def order_input(employee, **values) -> dict:
    data = {"employee": employee.pk, "date": "2026-11-18", "start": "17:30", "end": "19:30", "reason": "決算"}
    data.update(values)
    return {f"order-{name}": value for name, value in data.items()}


# --- the page ---------------------------------------------------------------------------------------------


def test_staff_see_the_application_and_the_swap_but_not_the_order_form(town, page_client):
    html = page_client(town.staff[0]).get(PAGE).content.decode()
    assert 'id="overtime-apply-form"' in html
    assert 'id="swap-form"' in html
    assert 'id="overtime-order-form"' not in html
    assert "所属の時間外勤務" not in html
    assert 'name="apply-telework"' in html
    assert '<a href="/attendance/" aria-current="page">' in html  # the nav's 勤怠


def test_the_director_is_offered_only_the_active_staff_of_the_department(town, page_client):
    gone = town.staff[4]
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    html = page_client(town.director).get(PAGE).content.decode()
    select = select_html(html, "order-employee")
    for member in town.staff[:4]:
        assert f'value="{member.pk}"' in select
    assert f'value="{town.chief.pk}"' in select
    for other in (gone, town.kikaku_staff, town.kikaku_director, town.director):
        assert f'value="{other.pk}"' not in select


def test_the_attendance_page_links_to_the_orders(town, page_client):
    html = page_client(town.staff[0]).get("/attendance/").content.decode()
    assert f'href="{PAGE}"' in html


# --- 事前申請 -----------------------------------------------------------------------------------------------


def test_an_application_is_filed_for_the_directors_decision_and_listed(town, page_client):
    staff = town.staff[0]
    response = page_client(staff).post(f"{PAGE}apply/", application(telework="on"))
    assert response.status_code == 302
    assert response["Location"] == PAGE
    order = OvertimeOrder.objects.get(employee=staff)
    assert (order.status, order.date, order.start, order.end, order.telework, order.ordered_by) == (
        OrderStatus.SUBMITTED,
        TUESDAY,
        time(17, 30),
        time(19, 0),
        True,
        staff,
    )
    document = Document.objects.get(pk=order.document_id)
    assert (document.kind, document.status, document.category) == (
        "overtime",
        "in_review",
        "時間外勤務事前申請",
    )
    html = page_client(staff).get(PAGE).content.decode()
    item = item_html(html, f"order-{order.pk}")
    assert "申請中" in item
    assert "17:30〜19:00" in item
    assert "1:30" in item
    assert "テレワーク" in item
    assert "本人の事前申請" in item
    assert f'href="/approvals/documents/{document.pk}/"' in item
    assert f'action="{PAGE}{order.pk}/cancel/"' in item


def test_the_success_message_is_shown_once(town, page_client):
    client = page_client(town.staff[0])
    html = client.post(f"{PAGE}apply/", application(), follow=True).content.decode()
    assert "時間外勤務を事前申請しました" in html
    assert "時間外勤務を事前申請しました" not in client.get(PAGE).content.decode()


def test_an_end_before_the_start_is_refused_next_to_the_end_with_the_input_kept(town, page_client):
    response = page_client(town.staff[0]).post(f"{PAGE}apply/", application(start="19:00", end="18:00"))
    assert response.status_code == 400
    html = response.content.decode()
    end = field_html(html, "apply-end")
    assert 'class="field-errors"' in end
    assert "終了時刻は開始時刻より後にしてください" in end
    assert 'value="18:00"' in end
    assert 'value="19:00"' in field_html(html, "apply-start")
    assert 'value="2026-11-17"' in field_html(html, "apply-date")
    assert "議会資料の作成</textarea>" in html
    assert not OvertimeOrder.objects.exists()


def test_a_day_too_far_back_is_refused_next_to_the_date(town, page_client):
    response = page_client(town.staff[0]).post(f"{PAGE}apply/", application(date="2026-11-12"))
    assert response.status_code == 422
    html = response.content.decode()
    day = field_html(html, "apply-date")
    assert "3 日より前の日の時間外勤務は命令できません(2026-11-13 以降にしてください)" in day
    assert 'value="2026-11-12"' in day
    assert not OvertimeOrder.objects.exists()


def test_an_overlapping_order_is_refused_next_to_the_start(town, page_client):
    staff = town.staff[0]
    ordered(town, staff, start=time(18, 0), end=time(19, 0))
    response = page_client(staff).post(f"{PAGE}apply/", application())
    assert response.status_code == 422
    start = field_html(response.content.decode(), "apply-start")
    assert "この時間帯には別の時間外勤務命令があります(18:00〜19:00)" in start
    assert OvertimeOrder.objects.filter(employee=staff).count() == 1


def test_a_submitted_timesheet_refuses_above_the_form(town, page_client):
    staff = town.staff[0]
    services.timesheet_submit(employee=staff, month=date(2026, 10, 1))
    response = page_client(staff).post(f"{PAGE}apply/", application(date="2026-10-30"))
    assert response.status_code == 409
    html = response.content.decode()
    errors = html.split('id="overtime-apply-form"')[1].split('<div class="field')[0]
    assert 'class="form-errors"' in errors
    assert "2026-10" in errors
    assert not OvertimeOrder.objects.exists()


def test_a_bad_shape_is_shown_next_to_its_field(town, page_client):
    response = page_client(town.staff[0]).post(f"{PAGE}apply/", application(start="", reason=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="field-errors"' in field_html(html, "apply-start")
    assert 'class="field-errors"' in field_html(html, "apply-reason")
    assert not OvertimeOrder.objects.exists()


# --- 時間外勤務命令 -------------------------------------------------------------------------------------------


def test_the_directors_order_is_approved_at_once_and_listed_for_both(town, page_client):
    staff = town.staff[1]
    response = page_client(town.director).post(f"{PAGE}order/", order_input(staff), follow=True)
    assert response.status_code == 200
    order = OvertimeOrder.objects.get(employee=staff)
    assert (order.status, order.ordered_by, order.date, order.start, order.end) == (
        OrderStatus.APPROVED,
        town.director,
        date(2026, 11, 18),
        time(17, 30),
        time(19, 30),
    )
    document = Document.objects.get(pk=order.document_id)
    assert (document.category, document.status) == ("時間外勤務命令", "approved")
    html = response.content.decode()
    assert "総務主事2さんに時間外勤務を命令しました(承認済み)" in html
    item = item_html(html, f"department-order-{order.pk}")
    assert "総務主事2" in item
    assert "承認済み" in item
    assert "cancel/" in item  # the director may cancel it
    mine = page_client(staff).get(PAGE).content.decode()
    item = item_html(mine, f"order-{order.pk}")
    assert "承認済み" in item
    assert "総務課長の命令" in item
    assert "cancel/" not in item  # ordered by the director: only they may cancel it


def test_staff_of_another_department_are_refused(town, page_client):
    response = page_client(town.director).post(f"{PAGE}order/", order_input(town.kikaku_staff))
    assert response.status_code == 400
    assert 'class="field-errors"' in field_html(response.content.decode(), "order-employee")
    assert not OvertimeOrder.objects.exists()


def test_only_the_director_may_order(town, page_client):
    # a member of staff may not see a colleague (404, as the API); the 係長 sees them but may not order (403)
    assert page_client(town.staff[0]).post(f"{PAGE}order/", order_input(town.staff[1])).status_code == 404
    assert page_client(town.chief).post(f"{PAGE}order/", order_input(town.staff[1])).status_code == 403
    assert 'id="overtime-order-form"' not in page_client(town.chief).get(PAGE).content.decode()
    assert not OvertimeOrder.objects.exists()


def test_an_order_for_a_past_day_keeps_the_input_next_to_the_date(town, page_client):
    response = page_client(town.director).post(
        f"{PAGE}order/", order_input(town.staff[1], date="2026-11-01", reason="決算の残り")
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "2026-11-13 以降にしてください" in field_html(html, "order-date")
    assert f'value="{town.staff[1].pk}" selected' in field_html(html, "order-employee")
    assert "決算の残り</textarea>" in html
    assert not OvertimeOrder.objects.exists()


def test_the_department_list_holds_the_orders_from_this_month_on(town, page_client, settings):
    """An order the director gives on the month's last days for the next month's first is listed (it was not, and
    its cancel could not be reached); last month's are not."""
    settings.ATTENDANCE_OVERTIME_ORDER_PAST_DAYS = 60
    this_month = ordered(town, town.staff[0])
    next_month = ordered(town, town.staff[0], day=date(2026, 12, 1))
    last_month = ordered(town, town.staff[0], day=date(2026, 10, 30))
    other = services.overtime_order_create(
        actor=town.kikaku_director,
        employee_id=town.kikaku_staff.pk,
        day=TUESDAY,
        start=time(18),
        end=time(19),
        reason="企画",
    )
    html = page_client(town.director).get(PAGE).content.decode()
    listed = html.split('class="my-requests department-orders"')[1]
    assert f'id="department-order-{this_month.pk}"' in listed
    assert f'id="department-order-{next_month.pk}"' in listed
    assert f'id="department-order-{last_month.pk}"' not in listed
    assert f'id="department-order-{other.pk}"' not in listed


# --- cancel -----------------------------------------------------------------------------------------------


def test_my_submitted_application_is_withdrawn(town, page_client):
    staff = town.staff[0]
    order = applied(staff)
    html = page_client(staff).post(f"{PAGE}{order.pk}/cancel/", follow=True).content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.WITHDRAWN
    assert "時間外勤務命令を取り消しました" in html
    assert "cancel/" not in item_html(html, f"order-{order.pk}")


def test_the_director_cancels_an_approved_order(town, page_client):
    order = ordered(town, town.staff[0])
    page_client(town.director).post(f"{PAGE}{order.pk}/cancel/")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


def test_someone_elses_order_is_a_404_and_stays(town, page_client):
    order = applied(town.staff[0])
    for other in (town.staff[1], town.kikaku_director):
        assert page_client(other).post(f"{PAGE}{order.pk}/cancel/").status_code == 404
    assert page_client(town.staff[1]).post(f"{PAGE}999999/cancel/").status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED


def test_the_employee_may_not_cancel_the_directors_order(town, page_client):
    order = ordered(town, town.staff[0])
    assert page_client(town.staff[0]).post(f"{PAGE}{order.pk}/cancel/").status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED


def test_a_started_order_is_not_cancelled_and_says_why(town, clock, page_client):
    staff = town.staff[0]
    order = applied(staff, day=MONDAY, start=time(8, 0), end=time(8, 30))
    html = page_client(staff).post(f"{PAGE}{order.pk}/cancel/", follow=True).content.decode()
    assert 'class="message error"' in html
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED


# --- 週休日の振替 --------------------------------------------------------------------------------------------


def swap_input(**values) -> dict:
    data = {"work_date": SATURDAY.isoformat(), "off_date": FRIDAY.isoformat(), "reason": "イベント対応"}
    data.update(values)
    return {f"swap-{name}": value for name, value in data.items()}


def test_a_swap_is_requested_and_listed(town, page_client):
    staff = town.staff[0]
    response = page_client(staff).post(f"{PAGE}swaps/", swap_input(), follow=True)
    swap = DaySwap.objects.get(employee=staff)
    assert (swap.status, swap.work_date, swap.off_date, swap.reason) == (
        OrderStatus.SUBMITTED,
        SATURDAY,
        FRIDAY,
        "イベント対応",
    )
    html = response.content.decode()
    assert "週休日の振替を申請しました" in html
    item = item_html(html, f"swap-{swap.pk}")
    assert "申請中" in item
    assert "11/21(土)に勤務、11/20(金)を週休日に" in item
    assert f'href="/approvals/documents/{swap.document_id}/"' in item
    assert f'action="{PAGE}swaps/{swap.pk}/cancel/"' in item


def test_a_swap_outside_the_window_says_the_window_next_to_the_day_off(town, page_client):
    response = page_client(town.staff[0]).post(f"{PAGE}swaps/", swap_input(off_date="2027-02-01"))
    assert response.status_code == 422
    html = response.content.decode()
    off = field_html(html, "swap-off_date")
    assert "振り替える勤務日は 2026-10-24 から 2027-01-16 までの日にしてください" in off
    assert 'value="2027-02-01"' in off
    assert "4週間前から8週間後まで" in off  # the rule as help
    assert "イベント対応</textarea>" in html
    assert not DaySwap.objects.exists()


def test_a_working_day_is_not_a_weekly_rest_day(town, page_client):
    response = page_client(town.staff[0]).post(f"{PAGE}swaps/", swap_input(work_date=TUESDAY.isoformat()))
    assert response.status_code == 422
    assert "2026-11-17 は週休日ではありません" in field_html(response.content.decode(), "swap-work_date")
    assert not DaySwap.objects.exists()


def test_my_swap_is_cancelled_and_someone_elses_is_a_404(town, page_client):
    staff = town.staff[0]
    swap = services.day_swap_request(employee=staff, work_date=SATURDAY, off_date=FRIDAY)
    assert page_client(town.staff[1]).post(f"{PAGE}swaps/{swap.pk}/cancel/").status_code == 404
    swap.refresh_from_db()
    assert swap.status == OrderStatus.SUBMITTED
    page_client(staff).post(f"{PAGE}swaps/{swap.pk}/cancel/")
    swap.refresh_from_db()
    assert swap.status == OrderStatus.WITHDRAWN


def test_the_director_cancels_an_approved_swap(town, page_client):
    swap = services.day_swap_request(employee=town.staff[0], work_date=SATURDAY, off_date=FRIDAY)
    document_approve(document=swap.document, actor=town.director)
    page_client(town.director).post(f"{PAGE}swaps/{swap.pk}/cancel/")
    swap.refresh_from_db()
    assert swap.status == OrderStatus.CANCELLED


# --- queries ----------------------------------------------------------------------------------------------


def swap_days(count: int) -> list[tuple[date, date]]:
    """`count` pairs of a 週休日 and the working day three days after it (town closures skipped)."""
    pairs = []
    day = SATURDAY
    while len(pairs) < count:
        off = day + timedelta(days=3)
        kinds = (
            selectors_orders.calendar_kind(employee_id=0, day=day),
            selectors_orders.calendar_kind(employee_id=0, day=off),
        )
        if kinds == (worktime.WEEKLY_REST, worktime.WORKDAY):
            pairs.append((day, off))
        day += timedelta(days=1 if day.weekday() == 5 else 6)
    return pairs


def add_rows(town, staff, days: range, swaps: list[tuple[date, date]]) -> None:
    """Each day: an application of the staff member's and an order of the director's; and the swaps."""
    for offset in days:
        day = TUESDAY + timedelta(days=offset)
        applied(staff, day=day)
        ordered(town, staff, day=day)
    for work, off in swaps:
        services.day_swap_request(employee=staff, work_date=work, off_date=off)


def test_the_page_costs_the_same_queries_with_2_or_20_rows(town, page_client, django_assert_max_num_queries):
    staff = town.staff[0]
    pairs = swap_days(20)
    add_rows(town, staff, range(1), pairs[:2])
    clients = {"staff": page_client(staff), "director": page_client(town.director)}
    bounds = {}
    for who, client in clients.items():
        with django_assert_max_num_queries(20) as few:
            client.get(PAGE)
        bounds[who] = len(few.captured_queries)
    add_rows(town, staff, range(1, 10), pairs[2:])
    assert OvertimeOrder.objects.filter(employee=staff, date__month=11).count() == 20
    assert DaySwap.objects.filter(employee=staff).count() == 20
    with django_assert_max_num_queries(bounds["staff"]):
        html = clients["staff"].get(PAGE).content.decode()
    assert html.count('class="request order"') == 20
    assert html.count('class="request swap"') == 20
    with django_assert_max_num_queries(bounds["director"]):
        html = clients["director"].get(PAGE).content.decode()
    assert html.split('class="my-requests department-orders"')[1].count('class="request order"') == 20


# --- English ------------------------------------------------------------------------------------------------


def test_the_page_in_english(town, page_client):
    staff = town.staff[0]
    ordered(town, staff)
    html = page_client(town.director, language="en").get(PAGE).content.decode()
    for words in (
        "Overtime and day swaps",
        "Apply for overtime in advance",
        "Order overtime",
        "Swap a weekly rest day",
        "My overtime",
        "My swaps",
        "Overtime of the department",
        "Cancel",
    ):
        assert words in html, words
    assert "ordered by 総務課長" in page_client(staff, language="en").get(PAGE).content.decode()
    response = page_client(staff, language="en").post(
        f"{PAGE}apply/", application(start="19:00", end="18:00")
    )
    assert "End time" in field_html(response.content.decode(), "apply-end")


# --- the acting holder of a vacant 課長 post (職務代理者) -----------------------------------------------------


@pytest.fixture
def acting(town):
    """企画課's 課長 has retired; 総務課長 holds the post for the time being (事務取扱)."""
    employee_deactivate(actor=None, employee=town.kikaku_director)
    return ActingAppointment.objects.create(
        department=town.kikaku, position="director", acting=town.director, start=MONDAY
    )


def test_the_acting_director_orders_the_staff_of_both_departments(town, page_client, acting):
    client = page_client(town.director)
    select = select_html(client.get(PAGE).content.decode(), "order-employee")
    assert f'value="{town.kikaku_staff.pk}"' in select
    assert "企画主事(企画課)" in select
    assert "総務主事1(総務課)" in select  # with two departments offered, each name says whose

    response = client.post(f"{PAGE}order/", order_input(town.kikaku_staff))

    assert response.status_code == 302
    made = OvertimeOrder.objects.get(employee=town.kikaku_staff)
    assert (made.status, made.ordered_by_id, made.document.department_id) == (
        OrderStatus.APPROVED,
        town.director.pk,
        town.kikaku.pk,
    )
    listed = client.get(PAGE).content.decode().split('class="my-requests department-orders"')[1]
    assert f'id="department-order-{made.pk}"' in listed


def test_an_acting_holder_from_below_the_director_gets_the_order_form(town, page_client, acting):
    """A 係長 of 総務課 designated for 企画課's post directs 企画課 alone: the form offers only its staff."""
    acting.acting = town.chief
    acting.save(update_fields=["acting"])
    select = select_html(page_client(town.chief).get(PAGE).content.decode(), "order-employee")
    assert f'value="{town.kikaku_staff.pk}"' in select
    assert f'value="{town.staff[0].pk}"' not in select
    assert "企画主事(企画課)" not in select  # one department: names alone

    response = page_client(town.chief).post(f"{PAGE}order/", order_input(town.kikaku_staff))
    assert response.status_code == 302
    assert OvertimeOrder.objects.get(employee=town.kikaku_staff).status == OrderStatus.APPROVED


def test_once_the_designation_ended_the_other_department_is_refused(town, page_client, acting):
    acting.start, acting.end = MONDAY - timedelta(days=30), MONDAY - timedelta(days=1)
    acting.save(update_fields=["start", "end"])
    client = page_client(town.director)
    select = select_html(client.get(PAGE).content.decode(), "order-employee")
    assert f'value="{town.kikaku_staff.pk}"' not in select
    assert "総務主事1(総務課)" not in select

    response = client.post(f"{PAGE}order/", order_input(town.kikaku_staff))

    assert response.status_code == 400
    assert not OvertimeOrder.objects.exists()


def test_the_acting_directors_page_costs_the_same_queries_with_2_or_20_orders(
    town, page_client, acting, django_assert_max_num_queries
):
    """Two departments directed: the orders of both in one list, its cost fixed whatever the rows."""

    def order_for_kikaku(count: int, offset: int) -> None:
        for n in range(offset, offset + count):
            services.overtime_order_create(
                actor=town.director,
                employee_id=town.kikaku_staff.pk,
                day=TUESDAY,
                start=time(17, 0 + n),
                end=time(17, 1 + n),
                reason=f"{n}",
            )

    order_for_kikaku(2, 0)
    client = page_client(town.director)
    with django_assert_max_num_queries(25) as few:
        client.get(PAGE)
    order_for_kikaku(18, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(PAGE).content.decode()
    listed = html.split('class="my-requests department-orders"')[1]
    assert listed.count('class="request order"') == 20
