// placeholder, replaced by the owner of preprocess/prepare
int main() { return 3; }
