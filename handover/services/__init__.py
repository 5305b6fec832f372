"""Handover write services: recalculation, alerts, notifications, the nightly sweep and the policy preview."""
