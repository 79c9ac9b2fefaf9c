# stub:drop The end of every webhook_handler.py: started directly, it listens.


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    try:
        config = load_config()
    except RuntimeError as err:
        raise SystemExit(str(err))
    host = os.environ.get("HOST", "0.0.0.0")
    running = start_server(host, int(os.environ.get("PORT", "8000")), config)
    print("listening on http://%s:%d%s" % (host, running.port, WEBHOOK_PATH), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        running.stop()


if __name__ == "__main__":
    main()
