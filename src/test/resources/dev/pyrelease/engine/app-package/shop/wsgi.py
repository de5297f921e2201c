def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"shop ok\n"]


def hello():
    print("hello from shop")
