"""The witness's own WSGI app: `POST /add-checkpoint`, and `GET /` saying who it is.

It is a plain Werkzeug app, not the registry's Flask app: a witness runs apart from the
registry, often on another council's machine, and needs none of it.
"""

from __future__ import annotations

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .errors import Refused
from .requests import MAX_BODY_BYTES
from .witnessing import Witness

_ROUTES = Map([Rule("/add-checkpoint", endpoint="add_checkpoint", methods=["POST"]), Rule("/", endpoint="about", methods=["GET"])])


class WitnessApp:
    def __init__(self, witness: Witness) -> None:
        self.witness = witness

    def __call__(self, environ, start_response):
        request = Request(environ)
        request.max_content_length = MAX_BODY_BYTES
        try:
            endpoint, _ = _ROUTES.bind_to_environ(environ).match()
            response = getattr(self, endpoint)(request)
        except Refused as refusal:
            response = Response(refusal.body, status=refusal.status, content_type=refusal.content_type)
        except (NotFound, MethodNotAllowed) as error:
            response = error.get_response(environ)
        except HTTPException as error:  # a body over the limit, say
            response = Response(f"{error.description}\n", status=error.code, content_type="text/plain; charset=utf-8")
        return response(environ, start_response)

    def add_checkpoint(self, request: Request) -> Response:
        line = self.witness.add_checkpoint(request.get_data(cache=False))
        return Response(line, status=200, content_type="text/plain; charset=utf-8")

    def about(self, request: Request) -> Response:
        logs = "".join(f"log {origin}\n" for origin in sorted(self.witness.logs))
        text = f"A C2SP tlog-witness.\nwitness {self.witness.cosigner.public.vkey}\n{logs}"
        return Response(text, content_type="text/plain; charset=utf-8")


def create_witness_app(config_path) -> WitnessApp:
    """Return the WSGI app of the witness a configuration file describes."""
    from .config import read_config

    return WitnessApp(read_config(config_path).witness())


class ServedInThread:
    """A witness served by Werkzeug from a daemon thread on 127.0.0.1 (for tests, benchmarks and demos in one process)."""

    def __init__(self, witness: Witness, host: str = "127.0.0.1", port: int = 0) -> None:
        import threading

        from werkzeug.serving import make_server

        self.witness = witness
        self._server = make_server(host, port, WitnessApp(witness), threaded=True)
        self.url = f"http://{host}:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop answering and close the port: from now on the witness is down."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
