# Unit tests of src/net (loop, HTTP, WebSocket, server).
