module inferplay

go 1.24.0
