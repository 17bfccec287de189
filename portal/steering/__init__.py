"""The steering group (johtoryhmä): members, meetings, deadlines, quorum."""
