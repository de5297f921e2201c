import sys

if __name__ == "__main__":
    print("manage", sys.argv[1:])
