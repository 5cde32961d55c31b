"""Persian text and dates: digit conversion and normalisation (text), the Jalali calendar (jalali).

The bottom of the chain: imports nothing from the other stages.
"""
