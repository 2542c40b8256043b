"""On the day: check-in, walk-ins, the surgery floor, and the day in numbers."""
