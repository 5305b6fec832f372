"""Pure casework calculations: no ORM, no clock ("today" is passed in). One module per area."""
