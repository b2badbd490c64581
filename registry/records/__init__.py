"""PDF records of submitted agreement versions, carrying what an auditor needs to check them offline."""
