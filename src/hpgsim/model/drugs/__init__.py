"""Drug catalog and one module per agent: PK parameters and PD hooks into the axis."""
