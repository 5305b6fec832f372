"""The dashboard's weekly trend as a server-rendered SVG bar chart: plain numbers for the template, no script, no
inline styles. The data table beside it carries the same figures for screen readers and for copying."""

from dataclasses import dataclass

from keywork.calculations import WeekFigures

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 240, 40, 30, 10


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    target_y: int
    label: str
    sessions: int
    projected: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_bottom: int
    left: int
    bars: list[Bar]
    ticks: list[tuple[int, int]]


def trend_chart(weeks: list[WeekFigures]) -> Chart:
    """Bars for the sessions recorded each week and a mark for the sessions projected."""
    top = max([1, *(w.sessions for w in weeks), *(w.projected_sessions for w in weeks)])
    plot_height = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / max(1, len(weeks))
    bar_width = max(2, int(slot * 0.7))

    def y(value: int) -> int:
        return int(TOP + plot_height - plot_height * value / top)

    bars = [
        Bar(
            x=int(LEFT + i * slot + (slot - bar_width) / 2),
            y=y(w.sessions),
            width=bar_width,
            height=HEIGHT - BOTTOM - y(w.sessions),
            target_y=y(w.projected_sessions),
            label=w.week_start.strftime("%-d %b"),
            sessions=w.sessions,
            projected=w.projected_sessions,
        )
        for i, w in enumerate(weeks)
    ]
    ticks = [(y(v), v) for v in sorted({0, top // 2, top})]
    return Chart(WIDTH, HEIGHT, HEIGHT - BOTTOM, LEFT, bars, ticks)
