"""What we learned: answers people shared and resources added after a day."""
