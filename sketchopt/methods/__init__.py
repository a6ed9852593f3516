"""Methods of the four papers (one module each) and the reference baselines."""
