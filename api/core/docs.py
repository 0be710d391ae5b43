"""What the schema tells an integrator about each operation: a summary (English, with the Japanese term), a
description of its own (the examples are api.core.examples).

Keyed by the operation's `operationId` (the schema's, e.g. `attendance_clock_create`); api.core.schema.AutoSchema
reads them. An explicit `extend_schema(summary=..., description=...)` on a view wins. tests/api/test_schema.py
checks that every operation has both and that every key here is an operation of the schema, so a new endpoint
without its entry, or an entry whose endpoint moved, fails the suite.
"""

# operationId: (summary, description)
OPERATIONS: dict[str, tuple[str, str]] = {
    # --- auth and the caller ------------------------------------------------------------------------------------
    "auth_token_create": (
        "Log in (ログイン): get an API token",
        "Exchanges a username and password for the caller's API token; send it afterwards as "
        "`Authorization: Token <token>`. Wrong credentials answer 400; repeated failures lock the account for a "
        "while (429 or 403 with a code). No login needed.",
    ),
    "auth_token_revoke_create": (
        "Log out (ログアウト): revoke the token",
        "Deletes the token the request was made with; later requests with it answer 401.",
    ),
    "me_retrieve": (
        "The caller (自分の情報)",
        "The caller's id, username, name, department (null for a system administrator), position and roles.",
    ),
    "errors_list": (
        "Error codes (エラーコード一覧)",
        "Every stable `code` a problem or one of its `errors` can carry, with its HTTP status and its Japanese "
        "and English message. Public: build client messages and tests from it.",
    ),
    # --- organisation -------------------------------------------------------------------------------------------
    "org_departments_list": (
        "List departments (課の一覧)",
        "Every department in display order; everyone logged in reads them.",
    ),
    "org_departments_create": (
        "Create a department (課の作成)",
        "Admin only. `short_name` is the prefix of the department's document numbers (e.g. `南富総`).",
    ),
    "org_departments_retrieve": ("Read a department (課)", "One department by its code."),
    "org_departments_partial_update": (
        "Change a department (課の変更)",
        "Admin only: the name, short name or display order; the code never changes (sending it is refused).",
    ),
    "org_employees_list": (
        "List employees (職員名簿)",
        "The directory: staff see their own department, managers, hr and admin see more. Callers who may read "
        "only the directory get `id, name, department, position, is_active` of each employee.",
    ),
    "org_employees_create": (
        "Register an employee (職員の登録)",
        "Admin or hr: a new account with its department, position, employment type and roles.",
    ),
    "org_employees_retrieve": (
        "Read an employee (職員)",
        "One employee: every field for the employee themself, hr and admin; the directory fields for others.",
    ),
    "org_employees_partial_update": (
        "Change an employee (職員情報の変更)",
        "Admin or hr: any subset of the fields, the password included (write only).",
    ),
    "org_employees_deactivate_create": (
        "Deactivate an employee (退職・異動)",
        "Admin or hr: the account can no longer log in, and whoever had the employee as deputy loses that deputy.",
    ),
    "org_absences_list": (
        "List absences (不在の一覧)",
        "Absences the caller may see, overlapping `from`..`to` when given; `?employee=` for one employee.",
    ),
    "org_absences_create": (
        "Record an absence (不在の登録)",
        "An approver away from `start` to `end`, so that their deputy may decide for them (代決). Recorded by HR, "
        "the employee or a superior in their line.",
    ),
    "org_absences_destroy": (
        "Take back an absence (不在の取消)",
        "Deletes an absence recorded by mistake; by whoever may record it.",
    ),
    # --- notifications ------------------------------------------------------------------------------------------
    "notifications_list": (
        "List notifications (通知)",
        "The caller's own notifications, newest first; `?unread=true` for the unread ones.",
    ),
    "notifications_retrieve": (
        "Read a notification (通知)",
        "One of the caller's notifications (404 for others').",
    ),
    "notifications_read_create": (
        "Mark a notification read (既読にする)",
        "Marks one of the caller's notifications read and answers it.",
    ),
    "notifications_read_all_create": (
        "Mark every notification read (すべて既読にする)",
        "Marks all the caller's unread notifications read and answers how many there were.",
    ),
    # --- approvals ----------------------------------------------------------------------------------------------
    "approvals_documents_list": (
        "List documents (文書の一覧)",
        "Documents the caller may see, of every kind: `?status=`, `?kind=`, `?mine=true` for the caller's drafts.",
    ),
    "approvals_documents_create": (
        "Draft a document (起案)",
        "Creates a `general` document as a draft (`status: draft`); submit it to route it for approval. "
        "`retention_years` is 1, 3, 5, 10, 30 or null (permanent).",
    ),
    "approvals_documents_retrieve": (
        "Read a document (文書)",
        "The document with its route: each step's kind, status, approvers and decisions. A document the caller "
        "may not see answers 404.",
    ),
    "approvals_documents_partial_update": (
        "Change a draft (文書の修正)",
        "The drafter changes a draft, or a document returned to them (差戻し); after submission the content is frozen.",
    ),
    "approvals_documents_submit_create": (
        "Submit a document (提出)",
        "The drafter submits a draft: the route is built from the route rules (専決区分 by kind, category and "
        "amount) and the first step opens (`status: in_review`).",
    ),
    "approvals_documents_resubmit_create": (
        "Resubmit a returned document (再提出)",
        "The drafter submits a document returned to them again; the route starts over.",
    ),
    "approvals_documents_approve_create": (
        "Approve (承認・決裁)",
        "The caller decides their waiting step. The final step's approval numbers the document from its register "
        "(e.g. `南富総第12号`). A deputy approving for an absent approver is a proxy decision (代決): `on_behalf_of` "
        "is set and a 後閲 step is added for the absent one. 409 when it is not the caller's turn or already decided.",
    ),
    "approvals_documents_reject_create": (
        "Reject (否決)",
        "The caller refuses the document at their step; the document ends `rejected`. A comment is required.",
    ),
    "approvals_documents_return_create": (
        "Return (差戻し)",
        "Sends the document back to the drafter, or to an earlier step with `to_step`, with a comment.",
    ),
    "approvals_documents_withdraw_create": (
        "Withdraw (引上げ)",
        "The drafter takes a submitted document back before its final decision; it ends `withdrawn`.",
    ),
    "approvals_documents_acknowledge_create": (
        "Acknowledge (供覧・後閲の確認)",
        "The caller acknowledges a circulation step (供覧) or a decision taken for them by their deputy (後閲).",
    ),
    "approvals_documents_comment_create": (
        "Comment (意見)",
        "Adds a remark to the document's record, by anyone on its route or its drafter; decides nothing.",
    ),
    "approvals_documents_attachments_list": (
        "List attachments (添付ファイル)",
        "The document's files: name, size, content type and SHA-256.",
    ),
    "approvals_documents_attachments_create": (
        "Attach a file (添付)",
        "Multipart `file`: PDF, images, Office documents, CSV or text within the size limit. Only while the "
        "document may change (a draft, or returned to the drafter).",
    ),
    "approvals_documents_attachments_retrieve": (
        "Download an attachment (添付ファイルのダウンロード)",
        "The file itself, with its name in `Content-Disposition` and its hash as the `ETag`.",
    ),
    "approvals_documents_attachments_destroy": (
        "Remove an attachment (添付ファイルの削除)",
        "Removes a file while the document may change.",
    ),
    "approvals_documents_audit_retrieve": (
        "A document's audit trail (監査証跡)",
        "Every event of the document in the global hash chain, and whether the chain holds through them.",
    ),
    "approvals_documents_print_retrieve": (
        "Print a document (印刷)",
        "The document with its approval boxes (決裁欄) as a printable A4 HTML page.",
    ),
    "approvals_audit_retrieve": (
        "Verify the audit chain (監査チェーンの検証)",
        "Admin only: checks the whole chain, names the first broken link and gives the head to keep offline.",
    ),
    "approvals_inbox_list": (
        "The inbox (受信箱)",
        "What waits for the caller's decision now, every kind (documents, telework, corrections, timesheets, "
        "overtime), delegations and proxy decisions included.",
    ),
    "approvals_post_reviews_list": (
        "Decisions to review (後閲待ち)",
        "The caller's decisions that a deputy took while they were away; acknowledge each with "
        "`POST …/documents/{id}/acknowledge/`.",
    ),
    "approvals_delegations_list": (
        "List delegations (委任)",
        "The delegations the caller gave and received.",
    ),
    "approvals_delegations_create": (
        "Delegate (委任する)",
        "The caller lets a delegate decide their steps of some kinds for a period.",
    ),
    "approvals_delegations_revoke_create": (
        "Revoke a delegation (委任の取消)",
        "By the delegator or an admin: a running delegation ends today, one not yet begun is cancelled.",
    ),
    # --- attendance ---------------------------------------------------------------------------------------------
    "attendance_clock_create": (
        "Clock in or out (打刻)",
        "Records the caller's clock event at server time: `in`, `out`, `break_start`, `break_end`, with where "
        "they work. Out of order (out before in, a second in) answers 409 with a code; a closed month 409 "
        "`month_closed`. Send an `Idempotency-Key` so a retry records nothing twice.",
    ),
    "attendance_events_list": (
        "A day's clock events (打刻履歴)",
        "The day's events (today by default), corrected ones marked `replaced`; `?employee=` for managers and hr.",
    ),
    "attendance_days_list": (
        "Worked days (日次勤務実績)",
        "Per day from `from` to `to`: first in, last out, location, worked, break, overtime and late-night minutes, "
        "whether a holiday, and anomalies.",
    ),
    "attendance_pc_logs_create": (
        "Post a PC log event (PCログ連携)",
        "For an integration account or an admin: a log-on or log-off of an employee's PC, reconciled with the "
        "clock (勤怠差異).",
    ),
    "attendance_corrections_create": (
        "Request a correction (打刻修正申請)",
        "The caller's corrected events of one day, with a reason: an `attendance_correction` document, submitted "
        "and routed for approval; once approved the day is recomputed.",
    ),
    "attendance_timesheets_retrieve": (
        "A monthly timesheet (月次勤務表)",
        "The caller's month (`YYYY-MM`) with its days and totals; `?employee=` for the department's managers and hr.",
    ),
    "attendance_timesheets_submit_create": (
        "Submit a timesheet (月次勤務表の提出)",
        "The caller's month, as a `timesheet` document routed to their director.",
    ),
    "attendance_timesheets_close_create": (
        "Close a month (月次締め)",
        "HR: `{employee}` closes one employee's approved month, `{department}` every approved month there. A "
        "closed month refuses clock events, corrections and recomputation with 409.",
    ),
    "attendance_export.csv_retrieve": (
        "Payroll CSV (給与連携CSV)",
        "HR: one row per employee per day of `month` (`?department=` for one department), UTF-8 with BOM for "
        "Excel; cells a spreadsheet would run as a formula are neutralised. `Accept: text/csv`.",
    ),
    "attendance_summary.csv_retrieve": (
        "Monthly summary CSV (月次集計CSV)",
        "HR: one row per employee with the month's totals, UTF-8 with BOM. `Accept: text/csv`.",
    ),
    # --- leave --------------------------------------------------------------------------------------------------
    "leave_types_list": (
        "List leave types (休暇の種類)",
        "Every active leave type with its units (day, half_day, hour), whether it is paid and draws on the annual "
        "balance, its yearly or per-event limit in days, its window in the year (MM-DD) and the number of days "
        "beyond which a 診断書 must be attached.",
    ),
    "leave_balance_retrieve": (
        "Annual leave balance (年次休暇の残日数)",
        "The year's grant, carry-over, use (submitted and approved requests) and remainder, each in whole days and "
        "hours at the day's length (7h45m unless the schedule says otherwise), and the hours taken against the "
        "yearly limit by the hour. `?employee=` for the employee's managers and HR (404 for anyone else); "
        "`?year=` another leave year.",
    ),
    "leave_requests_list": (
        "List leave requests (休暇の申請一覧)",
        "The caller's own (`?mine=true`, the default) or a department's (`?department=`, its managers and HR; 403 "
        "for others), latest first, paginated.",
    ),
    "leave_requests_create": (
        "Apply for leave (休暇の申請)",
        "A type, a span of days (`unit: day`), half a day (`am`/`pm`) or hours of one day (`hours` with "
        "`start_time`/`end_time`). Only working days are charged; annual leave uses the carry-over first. Every "
        "rule violation is listed in one 422. Answers 201 with the request and its `leave` document, already "
        "submitted to the section chief and the 課長 (a long sick leave to the 副町長); `warnings` names a 診断書 "
        "to attach to the document before the 決裁.",
    ),
    "leave_requests_retrieve": (
        "Read a leave request (休暇の申請)",
        "One request: the applicant, their managers and HR, and anyone on its document's route.",
    ),
    "leave_requests_cancel_create": (
        "Cancel a leave request (休暇の取消)",
        "The applicant before the first day (a pending request's document is withdrawn), HR also after it; the "
        "balance is restored and the absence of an approved leave removed.",
    ),
    # --- telework -----------------------------------------------------------------------------------------------
    "telework_policy_retrieve": (
        "The town's telework policy (テレワーク実施要綱)",
        "The town-wide default policy: locations, caps, notice, blackout dates, eligibility and each rule's severity.",
    ),
    "telework_policy_partial_update": (
        "Change the town's policy (実施要綱の改定)",
        "Secretariat: any subset of the policy's fields; unknown fields are refused. Each change is a new version.",
    ),
    "telework_policies_retrieve": (
        "A department's effective policy (課の実施要綱)",
        "The department's override merged over the town's default.",
    ),
    "telework_policies_partial_update": (
        "Change a department's policy (課の実施要綱の変更)",
        "Secretariat: the department's overrides of the default; unknown fields are refused.",
    ),
    "telework_requests_list": (
        "List telework requests (テレワーク申請の一覧)",
        "The caller's own (`?mine=true`, the default) or a department's (`?department=`, its managers and hr).",
    ),
    "telework_requests_create": (
        "Apply for telework (テレワーク申請)",
        "Up to 31 dates with a location and a work plan. Every rule of the policy is checked at once: 201 with "
        "the submitted request, its approval document and the soft rules' warnings, or 422 `rule_violation` with "
        "every violation in `errors`.",
    ),
    "telework_requests_retrieve": (
        "Read a telework request (テレワーク申請)",
        "One request; its approvers also get the rule check as of now (staffing may have changed).",
    ),
    "telework_requests_cancel_create": (
        "Cancel a telework request (申請の取消)",
        "By the applicant before the first day; the approval document is withdrawn.",
    ),
    "telework_requests_report_create": (
        "Report a telework day (業務報告)",
        "The applicant's report of one day of an approved request.",
    ),
    "telework_calendar_retrieve": (
        "Department calendar (課のカレンダー)",
        "Who is in the office, who teleworks where and who is away, per day from `from` to `to`.",
    ),
    "telework_calendar.ics_retrieve": (
        "Telework calendar feed (iCalendar)",
        "The token holder's approved telework days as iCalendar (`Accept: text/calendar`); no login, the feed "
        "token is the credential.",
    ),
    "telework_calendar_token_create": (
        "Issue a calendar feed token (カレンダー連携)",
        "Issues or rotates the caller's feed token and URL; the previous URL stops working. Shown once.",
    ),
    "telework_continuity_list": (
        "List continuity periods (業務継続期間)",
        "Business-continuity periods (disaster, epidemic) during which the caps and notice rules are lifted.",
    ),
    "telework_continuity_create": (
        "Declare a continuity period (業務継続期間の宣言)",
        "Secretariat: `start`, `end`, the departments (empty = all) and the reason.",
    ),
    "telework_blackout_dates_list": (
        "List blackout dates (実施不可日)",
        "Days without telework, town-wide or per department (`?department=`).",
    ),
    "telework_blackout_dates_create": (
        "Add a blackout date (実施不可日の追加)",
        "Secretariat: a day without telework, town-wide or for one department.",
    ),
    # --- rollout ------------------------------------------------------------------------------------------------
    "telework_rollout_departments_list": (
        "Rollout by department (各課の導入段階)",
        "Each department's phase, since when, the planned date of each phase and whether it is behind plan.",
    ),
    "telework_rollout_departments_retrieve": (
        "One department's rollout (課の導入状況)",
        "The department's phase against plan with its full history (date, note, who moved it).",
    ),
    "telework_rollout_departments_phase_create": (
        "Move a department's phase (段階の移行)",
        "Secretariat: records the move (`not_started` → `preparing` → `trial` → `partial` → `formal`) and tells "
        "the department's director.",
    ),
    "telework_rollout_departments_plan_update": (
        "Set a department's plan (課の導入計画)",
        "Secretariat: planned dates per phase; null falls back to the town's plan.",
    ),
    "telework_rollout_plan_retrieve": (
        "The town's rollout plan (全庁の導入計画)",
        "The planned date of each phase for every department, from the DX plan's schedule.",
    ),
    "telework_rollout_plan_update": (
        "Set the town's rollout plan (全庁の導入計画の変更)",
        "Secretariat: the planned date of each phase for the departments without their own plan.",
    ),
    "telework_rollout_summary_retrieve": (
        "Fiscal year's KPI (年度の導入状況)",
        "Departments implementing telework out of all against the target, by phase, and each department's adoption.",
    ),
    "telework_rollout_monthly_retrieve": (
        "Monthly adoption (月別の導入状況)",
        "Per department per month of the fiscal year: headcount, teleworkers, telework days and rate, for charts.",
    ),
    "telework_rollout_survey_retrieve": (
        "National survey answers (総務省調査の回答)",
        "Secretariat: the answers as of 1 October (adoption status, forms used, usage-rate band); "
        "`?format=csv` or `Accept: text/csv` for the file.",
    ),
    # --- added with issues 10–13: accounts, sections and transfers, schedules, PC logs, reassignment ---------------
    "me_password_create": (
        "Change my password (パスワード変更)",
        "The caller's own password, with the current one (400 `current_password_incorrect` otherwise) and the "
        "town's policy (12 characters or more, not like the username, not common). Every other token of the "
        "caller ends; answers 204.",
    ),
    "me_tokens_list": (
        "My devices (ログイン中の端末)",
        "The caller's API tokens, one per login, with the device name given at login, when it was created and "
        "when it expires (absolute, `API_TOKEN_TTL_DAYS`).",
    ),
    "me_tokens_destroy": (
        "End a device's login (端末のログアウト)",
        "Deletes one of the caller's tokens (a lost phone): later requests with it answer 401. Another "
        "person's token answers 404 `token_not_found`.",
    ),
    "org_sections_list": (
        "List sections (係の一覧)",
        "Every section (係) with its department and chief, in display order; `?department=` one department's. "
        "Everyone logged in reads them.",
    ),
    "org_sections_create": (
        "Create a section (係の作成)",
        "HR and admin: `{department, code, name, chief}`; the code is unique in the department, the chief is one "
        "of its staff. The section's chief heads the route of its members' documents.",
    ),
    "org_sections_retrieve": ("Read a section (係)", "One section with its department and chief."),
    "org_sections_partial_update": (
        "Change a section (係の変更)",
        "HR and admin: name, chief, order; closing it (`is_active: false`) is refused while it has members "
        "(409 `section_has_members`).",
    ),
    "org_transfers_create": (
        "Record a transfer (人事異動の発令)",
        "HR and admin: `{employee, effective_on, department, section, position}`. Dated today or earlier it takes "
        "effect at once, later on its day; then the waiting approval steps of the post move to its new holder. "
        "A date before a later transfer already recorded is 409 `transfer_before_later_one`.",
    ),
    "org_employees_assignments_list": (
        "An employee's assignment history (配属履歴)",
        "Where the employee stood when: department, section and position from each effective date, oldest first. "
        "The employee, HR and admin.",
    ),
    "approvals_bulk_approve_create": (
        "Approve several documents (一括承認)",
        "`{documents: [ids], comment}` for the kinds that allow it (timesheets, telework, leave): each document is "
        "approved in its own transaction; `approved` lists those decided, `failed` each other with its code "
        "(`bulk_not_allowed`, `not_your_turn`, `rule_violation` when warnings need a decision of its own...).",
    ),
    "approvals_documents_reassign_create": (
        "Hand a waiting step to someone else (処理者の変更)",
        "An admin or the department's 文書主任 (document officer): `{step, to, reason}` moves the undecided row of "
        "the step to another approver (a retired approver, a long absence), audited with the reason.",
    ),
    "attendance_timesheets_reopen_create": (
        "Reopen a month (勤務表の再開)",
        "HR: `{employee, reason}` opens an approved or closed month again so that it can be corrected; audited "
        "in the approval record, and the employee and their director are told. Other states: 409 "
        "`month_not_reopenable`.",
    ),
    "attendance_schedules_list": (
        "List work schedules (勤務時間割の一覧)",
        "HR and admin: every schedule (the standard 8:30–17:15, short hours, 時差出勤, night shifts) with its "
        "break and rest weekdays.",
    ),
    "attendance_schedules_create": (
        "Create a work schedule (勤務時間割の作成)",
        "HR and admin: `{name, start, end, break_start, break_end, rest_weekdays}`; an end before the start is "
        "a shift across midnight.",
    ),
    "attendance_schedules_retrieve": ("Read a work schedule (勤務時間割)", "HR and admin: one schedule."),
    "attendance_schedules_partial_update": (
        "Change a work schedule (勤務時間割の変更)",
        "HR and admin. Its times cannot change while a submitted, approved or closed month uses it (409 "
        "`schedule_in_use`); the open days of its staff are recomputed.",
    ),
    "attendance_schedule_assignments_list": (
        "List schedule assignments (勤務時間割の割当)",
        "HR and admin: who works to which schedule from when to when (`?employee=`).",
    ),
    "attendance_schedule_assignments_create": (
        "Assign a schedule (勤務時間割の割当)",
        "HR and admin: `{employee, schedule, start, end}`; on any day the assignment that starts latest applies, "
        "so a temporary short-hours period sits inside an open-ended one. It may not reach a closed or "
        "submitted month.",
    ),
    "attendance_pc_logs_retrieve": (
        "A day's PC logs (PCログ)",
        "`?date=&employee=`: the day's PC log-on/off records beside its clock events, the gap (`log_gap`) and "
        "its reason (勤怠差異の理由). The employee, their managers and HR.",
    ),
    "attendance_pc_logs_bulk_create": (
        "Post PC logs in bulk (PCログの一括連携)",
        "An integration account or admin: `[{employee, kind, at, system}]`, the employee by username or external "
        "id, up to 1,000 at once; idempotent by (system, employee, kind, at). Answers `{created, duplicates, "
        "failed: [{index, code}]}`.",
    ),
    "attendance_pc_logs_reason_create": (
        "Explain a gap (勤怠差異の理由)",
        "`{employee, date, reason}`: why the clock and the PC log differ that day (the employee, their managers "
        "or HR); a later reason replaces the earlier.",
    ),
    "telework_requests_revise_create": (
        "Revise a returned request (修正して再申請)",
        "The applicant changes a request whose document was sent back (`dates`, `location`, `unit`, "
        "`work_plan`); every rule is checked again (422 with every violation) and the document circulates again.",
    ),
    "attendance_overtime_orders_list": (
        "List overtime orders (時間外勤務命令の一覧)",
        "The caller's own orders, or a department's (`?department=`: its managers and HR; 403 for anyone else), "
        "of a month (`?month=YYYY-MM`), by date and start time.",
    ),
    "attendance_overtime_orders_create": (
        "Order overtime (時間外勤務命令) or ask for it (事前申請)",
        "`{employee, date, start, end, reason, telework}`: the director of the employee's department orders "
        "overtime for their staff and the `overtime` document is decided at once (approved by them in the same "
        "transaction, audited); without `employee` (or with the caller's own id) the caller asks for it, routed to "
        "their director. 404 for an employee the caller may not see, 403 `not_orderer` for anyone but the "
        "director, 400 `end_before_start`, 409 for a month that may not change, 422 with every violation "
        "(`overtime_past_date` beyond the days allowed after the fact, `overlapping_order`).",
    ),
    "attendance_overtime_orders_retrieve": (
        "Read an overtime order (時間外勤務命令)",
        "Its employee, its drafter and whoever may see the employee's attendance; 404 for anyone else.",
    ),
    "attendance_overtime_orders_cancel_create": (
        "Cancel an overtime order (取消)",
        "Before the ordered start: a submitted order is withdrawn by its drafter; an approved one is cancelled by "
        "its drafter or the employee's director (recorded on its document) and the day is recomputed. 409 "
        "`order_started` once the time has begun.",
    ),
    "attendance_day_swaps_list": (
        "List day swaps (週休日の振替の一覧)",
        "The caller's own swaps, or a department's (`?department=`: its managers and HR), of a month "
        "(`?month=`: either day in it).",
    ),
    "attendance_day_swaps_create": (
        "Ask for a day swap (週休日の振替)",
        "`{work_date, off_date, reason}`: work a 週休日 and take a working day off instead, within the window "
        "the rules set (by default from 4 weeks before the 週休日 to 8 weeks after it, 人事院規則15-14 第8条); a "
        "`day_swap` document routed to the caller's director. Once approved the 週休日 counts as a working day "
        "and the working day as a 週休日. 422 with every violation (`swap_not_rest_day`, "
        "`swap_not_working_day`, `swap_outside_window`, `overlapping_swap`).",
    ),
    "attendance_day_swaps_retrieve": (
        "Read a day swap (週休日の振替)",
        "Its employee and whoever may see their attendance; 404 for anyone else.",
    ),
    "attendance_day_swaps_cancel_create": (
        "Cancel a day swap (取消)",
        "Before the earlier of its two days: a submitted swap is withdrawn by the employee; an approved one is "
        "cancelled by the employee or their director and both days are recomputed. 409 `swap_started` after.",
    ),
}
