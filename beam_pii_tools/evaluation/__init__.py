"""Evaluating results against labels: metrics, threshold choice, reports with plots."""
