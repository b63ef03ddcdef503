"""Rate tables read from files, for estimating message costs."""
