from search_service.cli import main

if __name__ == "__main__":
    main(prog_name="python -m search_service")
