// placeholder, replaced by the owner of preprocess/synth
int main() { return 3; }
