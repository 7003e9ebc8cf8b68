"""Risk of bias: RoB 2 and ROBINS-I forms, their algorithms, spreadsheet import and plots."""
