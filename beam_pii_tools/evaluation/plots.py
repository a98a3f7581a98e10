"""The report's plots, drawn on matplotlib's Agg canvas: no display, no global pyplot state
(reports are written from tests and worker-less CLIs, several per process)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from beam_pii_tools.tables import fmt

if TYPE_CHECKING:  # pragma: no cover
    from beam_pii_tools.evaluation.report import EvaluationReport

__all__ = ["confusion_matrix", "precision_recall", "reliability"]


def _figure(width: float = 5.0, height: float = 4.0) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _no_scores(ax: Any) -> None:
    ax.text(0.5, 0.5, "no model confidences", ha="center", va="center", transform=ax.transAxes)


def confusion_matrix(report: "EvaluationReport", path: str) -> None:
    """confusion_matrix.png: kept/rejected against PII/not PII, as decided."""
    fig = _figure(4.6, 4.0)
    ax = fig.add_subplot(1, 1, 1)
    o = report.overall
    grid = [[o["tp"], o["fn"]], [o["fp"], o["tn"]]]
    ax.imshow(grid, cmap="Blues")
    vmax = max(1, max(max(row) for row in grid))
    for i in range(2):
        for j in range(2):
            ax.text(j, i, str(grid[i][j]), ha="center", va="center",
                    color="white" if grid[i][j] > vmax / 2 else "black", fontsize=14)
    ax.set_xticks([0, 1], ["kept", "rejected"])
    ax.set_yticks([0, 1], ["is PII", "not PII"])
    ax.set_xlabel("pipeline decision")
    ax.set_ylabel("label")
    ax.set_title("Confusion matrix")
    fig.tight_layout()
    fig.savefig(path)


def precision_recall(report: "EvaluationReport", path: str) -> None:
    """pr_curve.png: the curve as the threshold moves, the sweep's points, the decided point."""
    fig = _figure()
    ax = fig.add_subplot(1, 1, 1)
    if report.pr_curve:
        ax.plot([p["recall"] for p in report.pr_curve], [p["precision"] for p in report.pr_curve],
                "-", lw=1.5, label="threshold varies")
        sweep = [r for r in report.threshold_sweep
                 if r["precision"] is not None and r["recall"] is not None]
        ax.scatter([r["recall"] for r in sweep], [r["precision"] for r in sweep], s=12,
                   c="tab:orange", zorder=3, label="sweep thresholds")
    else:
        _no_scores(ax)
    if report.overall["precision"] is not None and report.overall["recall"] is not None:
        ax.scatter([report.overall["recall"]], [report.overall["precision"]], marker="*", s=120,
                   c="tab:red", zorder=4, label="as decided")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("recall (PII kept)")
    ax.set_ylabel("precision")
    ax.set_title(f"Precision–recall (AUC-ROC {fmt(report.roc_auc)})")
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)


def reliability(report: "EvaluationReport", path: str) -> None:
    """reliability.png: the observed PII rate per confidence bin against the diagonal."""
    fig = _figure()
    ax = fig.add_subplot(1, 1, 1)
    ax.plot([0, 1], [0, 1], "--", c="grey", lw=1, label="perfect calibration")
    bins = [b for b in report.calibration.get("bins", []) if b["n"]]
    if bins:
        centers = [(b["lo"] + b["hi"]) / 2 for b in bins]
        ax.bar(centers, [b["positive_rate"] for b in bins], width=0.09, alpha=0.7,
               label="observed PII rate")
        ax.plot([b["mean_confidence"] for b in bins], [b["positive_rate"] for b in bins], "o-",
                c="tab:red", ms=4, label="observed rate at mean confidence")
    else:
        _no_scores(ax)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("model confidence")
    ax.set_ylabel("fraction that is PII")
    ax.set_title(f"Reliability (ECE {fmt(report.calibration.get('ece'))})")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
