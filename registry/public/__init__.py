"""The public register: a non-sensitive summary of every agreement in force, its downloads and change log."""
