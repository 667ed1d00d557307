"""COUNT requests to URL over CONNECTIONS keep-alive connections at once, each sending COOKIE; prints how many
were answered 200 (anything else is an error, and the exit code says so). Usage: browse.py URL COOKIE COUNT CONNECTIONS"""
import http.client
import sys
import threading
import urllib.parse

url, cookie, count, connections = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
parsed = urllib.parse.urlsplit(url)
path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
answered = [0] * connections
failures = []


def client(index: int, share: int) -> None:
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    for _ in range(share):
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            failures.append(response.status)
            return
        answered[index] += 1
    connection.close()


threads = [threading.Thread(target=client, args=(i, count // connections + (i < count % connections))) for i in range(connections)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sum(answered))
sys.exit(1 if failures else 0)
