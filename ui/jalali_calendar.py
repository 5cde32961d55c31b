"""The Jalali (Solar Hijri) month used to pick a date: Persian month names and digits, the week from
Saturday to Friday, Friday the weekend (in red, not Saturday and Sunday as Qt colours them), and no
Western week numbers (issue 17). Qt draws the days' numbers in the locale's (Persian) digits."""

from __future__ import annotations

from PySide6.QtCore import QCalendar, QDate, QLocale, Qt
from PySide6.QtGui import QColor, QTextCharFormat
from PySide6.QtWidgets import QCalendarWidget

WEEKEND = (Qt.Friday,)
WEEKEND_COLOUR = "#c62828"
DAYS = (Qt.Monday, Qt.Tuesday, Qt.Wednesday, Qt.Thursday, Qt.Friday, Qt.Saturday, Qt.Sunday)


class JalaliCalendar(QCalendarWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setCalendar(QCalendar(QCalendar.System.Jalali))
        self.setLocale(QLocale(QLocale.Persian, QLocale.Iran))
        self.setFirstDayOfWeek(Qt.Saturday)
        self.setVerticalHeaderFormat(QCalendarWidget.NoVerticalHeader)  # no ISO week numbers
        self.setGridVisible(True)
        workday = QTextCharFormat(self.weekdayTextFormat(Qt.Monday))
        weekend = QTextCharFormat(workday)
        weekend.setForeground(QColor(WEEKEND_COLOUR))
        for day in DAYS:
            self.setWeekdayTextFormat(day, weekend if day in WEEKEND else workday)
        # Qt keeps the cell of the selected day from before the calendar changed (a week off in a
        # Jalali month): choosing the day again puts the highlight and the keyboard's cell right
        today = QDate.currentDate()
        self.setSelectedDate(today.addDays(1))
        self.setSelectedDate(today)
