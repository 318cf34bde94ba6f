"""The mailer's baseline, in a process of its own as the mailer is: smtplib sending the messages
in a pickle file (recipients, content) over one connection. `python -m bench.smtp_client PORT FILE`"""
import pickle
import smtplib
import sys


def main(port: int, path: str) -> None:
    with open(path, "rb") as file:
        messages = pickle.load(file)  # written by bench/mailer.py in the same run
    with smtplib.SMTP("127.0.0.1", port) as client:
        for recipients, content in messages:
            client.sendmail("week@coproduction.invalid", list(recipients), content)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
