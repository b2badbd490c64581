"""Councils and the partner bodies they share data with."""
