"""Everything written for people or other tools: files (atomically), plots, the HTML report,
SBML, and the model document."""
