"""The HOMD dashboard: the unit on one page. Tiles that each link to the list they count, and the caseload
distribution per POM (weighted load per FTE by tier, as an SVG chart with the same figures in a table)."""

from decimal import Decimal

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from allocation.calculations import ROLE_LABELS, TIERS, UNKNOWN_TIER
from allocation.selectors import PomWorkload, workload_weights_configured
from cases.scoping import prison_page
from dashboards import calculations as calc
from dashboards.dashboard_selectors import cache_seconds, homd_dashboard_cached

CHART_TIERS = (*TIERS, UNKNOWN_TIER)


def _pom_load(workload: PomWorkload, weights) -> calc.PomLoad:
    by_tier = dict.fromkeys(CHART_TIERS, Decimal(0))
    cases = dict.fromkeys(CHART_TIERS, 0)
    for (role, tier), n in workload.mix.counts.items():
        by_tier[tier] += weights.weight(role=role, tier=tier) * n
        cases[tier] += n
    user = workload.pom.user
    return calc.PomLoad(
        name=user.get_full_name() or user.get_username(),
        fte=workload.pom.working_pattern,
        per_fte=workload.per_fte,
        load_by_tier=by_tier,
        cases_by_tier=cases,
    )


def _svg(chart: calc.CaseloadChart) -> dict:
    """The chart's coordinates as strings for the template (numbers would each be localised again)."""
    return {
        "view_box": f"0 0 {chart.width} {chart.height}",
        "bottom": str(chart.plot_bottom),
        "tick_label_y": str(chart.plot_bottom + 16),
        "label_x": str(chart.left - 6),
        "capacity_x": str(chart.capacity_x),
        "ticks": [(str(x), str(v)) for x, v in chart.ticks],
        "rows": [
            {
                "label": row.label,
                "y": str(row.y),
                "text_y": str(row.text_y),
                "end_x": str(row.end_x),
                "per_fte": str(row.per_fte),
                "over": row.over_capacity,
                "segments": [(str(s.x), str(s.width), s.colour) for s in row.segments],
            }
            for row in chart.rows
        ],
    }


@prison_page(perm="dashboards.view_homd_dashboard")
def dashboard(request):
    prison, today = request.prison, timezone.localdate()
    board = homd_dashboard_cached(prison=prison, today=today, refresh=request.GET.get("refresh") == "1")
    weights = workload_weights_configured()
    workloads = [w for w in board.workloads if w.total or w.pom.status == w.pom.Status.ACTIVE]
    chart = calc.caseload_chart([_pom_load(w, weights) for w in workloads], capacity=board.capacity)
    tiers_held = [t for t in CHART_TIERS if any(w.by_tier.get(t) for w in workloads)] or list(TIERS[:4])
    rows = []
    for w in workloads:
        tiers, roles = [w.by_tier.get(t, 0) for t in tiers_held], [w.by_role[r] for r in ROLE_LABELS]
        row = {
            "workload": w,
            "tiers": tiers,
            "roles": roles,
            # Plain strings: the template does not localise each number again (60 POMs make thousands of them).
            "cells": [str(v) for v in (w.pom.working_pattern, w.total, *tiers, *roles, w.load)],
            "per_fte": str(w.per_fte),
            "over": w.per_fte > board.capacity,
            "name": w.pom.user.get_full_name() or w.pom.user.get_username(),
            "url": reverse("pom_detail", kwargs={"prison_code": prison.code, "pom_id": w.pom.pk}),
            "kind": w.pom.get_pom_type_display()
            + ("" if w.pom.status == w.pom.Status.ACTIVE else f", {w.pom.get_status_display().lower()}"),
        }
        rows.append(row)
    return render(
        request,
        "dashboards/dashboard/homd.html",
        {
            "prison": prison,
            "board": board,
            "chart": chart,
            "svg": _svg(chart),
            "rows": rows,
            "tier_headings": [t or "No tier" for t in tiers_held],
            "role_headings": list(ROLE_LABELS.values()),
            "worked_out_at": timezone.localtime(board.worked_out_at),
            "cache_seconds": cache_seconds(),
        },
    )
