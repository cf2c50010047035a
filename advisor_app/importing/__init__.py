"""Reading companies and people from spreadsheet files: pure parsing, no database.

``reader`` turns an .xlsx or .csv file into a table (header row found among title rows,
empty lines dropped, row numbers as the spreadsheet shows them); ``mapping`` matches its
columns to the fields of a company and its contact person; ``values`` reads the cells
(dates dd/mm/yyyy or real Excel dates, French numbers, codes or labels of the choices).
``services.import_companies`` validates, finds duplicates and writes."""
