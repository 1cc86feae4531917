"""Budget changes (추경, 이월, 전용, 예비비 사용): requested by finance staff, approved by the finance lead."""
