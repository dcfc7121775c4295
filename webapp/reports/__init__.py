"""The "Báo cáo" pages (issue 11): funnel, new members by category, targets, time per stage, risks."""
