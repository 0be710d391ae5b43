"""Attendance (勤怠): clock events, work-day computation, schedules, corrections, monthly timesheets, exports."""
