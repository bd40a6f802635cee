"""Production from assignment to receipt: the tailor posts each stage, the designer
approves the sample or sends it back; the stage rules themselves are pure (stages.py)."""
