"""Sentences from figures, in the "we" voice: the summary (summary, goal_summary), the sentences
both share (sentences), and how each number typed into a sentence is recorded (figures).
"""
