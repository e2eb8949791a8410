"""Children-first language checker: flags wording that blames a child for their own abuse."""
