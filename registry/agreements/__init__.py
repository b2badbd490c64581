"""Data-sharing agreements: parties and their legal bases, data flows, terms, versions and the workflow."""
