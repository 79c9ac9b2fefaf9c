import unittest  # stub:drop
class Part(unittest.TestCase):  # stub:drop The tamper test of a signed source: one more byte fails the signature.

    def test_rejects_tampered_body(self) -> None:
        status, _, _ = send(self.url, auth_headers(), BODY + HOLE_TAMPER_SUFFIX)
        self.assertEqual(status, 401)
