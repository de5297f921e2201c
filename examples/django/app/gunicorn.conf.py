# Read by gunicorn from the working directory (the app directory in the image) whatever the
# command line; command-line options still win.
# Gunicorn 26's control socket would be created under $HOME (or $XDG_RUNTIME_DIR): the image's
# root filesystem is read-only at run time and nothing here uses the socket.
control_socket_disable = True
# heartbeat files of the workers: the one writable place (also gunicorn's default, via TMPDIR)
worker_tmp_dir = "/tmp"
