"""Casework: early allocation, parole, recalls, case tasks and timescales (D-11, D-12), and management oversight."""
