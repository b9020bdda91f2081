"""The prompt texts of the languages besides English, one module each (English: skill/speech/prompts.py): the
same names as English, with the same placeholders (a test checks), written for the ear in that language."""
